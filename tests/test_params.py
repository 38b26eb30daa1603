"""Parameters from the command line: plain values only, of the notebook's types, and written
into the notebook so that they read back as the same values."""

from __future__ import annotations

import ast

import nbformat
import pytest

from scicollab import params
from scicollab.errors import UnknownNameError, UsageError


@pytest.mark.parametrize(("items", "expected"), [
    (["n=3"], {"n": 3}), (["x=0.5"], {"x": 0.5}), (["flag=True"], {"flag": True}),
    (["none=None"], {"none": None}), (["label=South Asia"], {"label": "South Asia"}),
    (["label='quoted'"], {"label": "quoted"}), (["a=1", "b=two"], {"a": 1, "b": "two"}),
    (["eq=a=b"], {"eq": "a=b"}),
])
def test_values_are_read_as_python_literals_else_as_text(items, expected):
    assert params.parse(items) == expected


@pytest.mark.parametrize(("item", "message"), [
    ("x=b'\"; import os'", "a bytes"), ("x={1, 2}", "a set"), ("x=[1]", "a list"),
    ("x={'a': 1}", "a dict"), ("x=(1, 2)", "a tuple"), ("x=1e999", "finite number"),
    ("x=-1e999", "finite number"), ("x", "name=value"), ("9x=1", "not a valid name"),
    ("a b=1", "not a valid name"),
])
def test_values_that_are_not_plain_are_refused(item, message):
    with pytest.raises(UsageError, match=message):
        params.parse([item])


@pytest.mark.parametrize("item", ["region=USMCA", "region=3", "members=USA,CAN",
                                  "region=b'\"; import os; os.system(\"id\") #'"])
def test_region_and_members_are_never_set_by_a_parameter(item):
    with pytest.raises(UsageError, match=r"is not accepted: (set the region|give a custom)"):
        params.parse([item])


def test_very_long_text_is_refused():
    with pytest.raises(UsageError, match="10,000 characters long"):
        params.parse(["label=" + "a" * 10_000])


DECLARED = {"region": "World", "members": "", "label": "x", "threshold": 0.5, "top": 10,
            "smooth": True, "year": None}


@pytest.mark.parametrize(("given", "ok"), [
    ({"threshold": 1}, True), ({"threshold": 0.2}, True), ({"threshold": "high"}, False),
    ({"threshold": True}, False), ({"top": 2.5}, False), ({"top": 3}, True),
    ({"smooth": 1}, False), ({"smooth": False}, True), ({"label": 3}, False),
    ({"year": 2020}, True), ({"year": "2020"}, True), ({"label": None}, True),
])
def test_a_value_must_have_the_type_of_the_notebooks_default(given, ok):
    if ok:
        params.check("ch", DECLARED, given)
    else:
        with pytest.raises(UsageError, match="of chapter 'ch' takes a"):
            params.check("ch", DECLARED, given)


def test_an_unknown_name_is_refused_with_the_closest_names():
    with pytest.raises(UnknownNameError) as error:
        params.check("ch", DECLARED, {"treshold": 0.1})
    assert error.value.suggestions == ["threshold"]
    assert str(error.value).startswith("unknown parameter 'treshold'; did you mean: "
                                       "'threshold'? Chapter 'ch' declares: ")


def test_an_unknown_name_with_nothing_close_ends_its_sentence_before_the_hint():
    with pytest.raises(UnknownNameError) as error:
        params.check("ch", DECLARED, {"zzz": 0.1})
    assert str(error.value).startswith("unknown parameter 'zzz'. Chapter 'ch' declares: ")


TRICKY = ['"; import os; os.system("id") #', "'''", '"""', "\\", "\\'", "a\nb = 1\n",
          "\x00", "é東\u202e", "{x}", "%(x)s", "b'x'", "\r\n#"]


@pytest.mark.parametrize("value", TRICKY)
def test_the_injected_cell_reads_back_every_value_exactly(value):
    notebook = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_code_cell('label = "x"', metadata={"tags": ["parameters"]}),
        nbformat.v4.new_code_cell("print(label)")])
    notebook.metadata["kernelspec"] = {"name": "python3", "language": "python",
                                       "display_name": "Python 3"}
    injected = params.inject(notebook, {"label": value, "n": 2, "x": 0.1, "f": False,
                                        "z": None}).cells[1]
    assert {"injected-parameters", "remove-cell"} <= set(injected.metadata["tags"])  # not shown
    tree = ast.parse(injected.source)
    assigned = {node.targets[0].id: ast.literal_eval(node.value) for node in tree.body}
    assert assigned == {"label": value, "n": 2, "x": 0.1, "f": False, "z": None}
    assert all(isinstance(node, ast.Assign) for node in tree.body)
