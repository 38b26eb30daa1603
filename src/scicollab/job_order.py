"""In what order a run's tasks go: each job's chapters by priority, jobs in order, and when a
job's last step (its edition's HTML) is due. Plain numbers and futures' ``done()``: the policy
:mod:`scicollab.scheduler` hands Dask, testable without a cluster."""

from __future__ import annotations

JOB_SPAN = 1000  # priorities per job: more than a job has chapters


def chapter_priority(index: int, position: int = 0) -> int:
    """Dask priority of the chapter at ``position`` in the job at ``index`` (higher runs
    first): jobs in order, a job's chapters in their order."""
    return -JOB_SPAN * index - position


def finish_priority(index: int) -> int:
    """Dask priority of the last step of the job at ``index``: after the next job's chapters,
    before the chapters of the job after that."""
    return -JOB_SPAN * (index + 1) - (JOB_SPAN - 1)


def step_due(index: int, pending: dict[int, list]) -> bool:
    """Whether the last step of the job at ``index`` is due: the chapters it waits for, its own
    and the next job's (``pending``: each job's submitted chapters, by job index), are done,
    run or failed. Waiting for the next job's chapters too keeps each worker on chapters while
    there are any of the next job's to run, and has the last two steps start together; a
    failure among the next job's chapters is that job's own (the step does not depend on it)."""
    return all(future.done() for job in (index, index + 1) for future in pending.get(job, ()))
