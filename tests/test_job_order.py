"""The order of a run's tasks: priorities by job, and when an edition's last step is due."""

from scicollab import job_order


def test_each_edition_is_assembled_after_the_next_ones_chapters_so_the_last_two_pair_up():
    tasks = [(job_order.chapter_priority(i, p), f"chapter {p} of {i}")
             for i in range(3) for p in (0, 1, 40)]
    tasks += [(job_order.finish_priority(i), f"edition {i}") for i in range(3)]
    order = [name for _, name in sorted(tasks, reverse=True)]
    assert order == ["chapter 0 of 0", "chapter 1 of 0", "chapter 40 of 0",
                     "chapter 0 of 1", "chapter 1 of 1", "chapter 40 of 1", "edition 0",
                     "chapter 0 of 2", "chapter 1 of 2", "chapter 40 of 2", "edition 1",
                     "edition 2"]


class _Future:
    def __init__(self, done: bool) -> None:
        self._done = done

    def done(self) -> bool:
        return self._done


def test_an_editions_last_step_is_due_once_its_own_and_the_next_jobs_chapters_are_done():
    done, running = _Future(True), _Future(False)
    pending = {0: [done, done], 1: [done, running], 2: [done], 4: [running]}
    assert not job_order.step_due(0, pending)  # the next job's chapters still run
    assert not job_order.step_due(1, pending)  # its own still run
    assert job_order.step_due(2, pending)  # job 3 has nothing to run (cached)
    assert not job_order.step_due(3, pending)
    assert not job_order.step_due(4, pending)
    assert job_order.step_due(5, pending)  # nothing of its own or after it to wait for
    pending[1] = [done, done]
    assert job_order.step_due(0, pending) and job_order.step_due(1, pending)
