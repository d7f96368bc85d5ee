"""Tables from the native module: through Arrow when pyarrow is installed
(each column is one buffer, wrapped without a copy per cell), otherwise from
plain lists."""

from __future__ import annotations

import array
import functools
import io
from typing import Any, Dict, List, Sequence, Tuple

Column = Tuple[str, str, Any]

_TYPECODES = {"i8": "q", "f8": "d"}


@functools.lru_cache(maxsize=None)
def have_pyarrow() -> bool:
    """Whether a usable pyarrow is installed (once per process: a pyarrow that
    fails to import, e.g. built for another NumPy, counts as absent)."""
    try:
        import pyarrow

        pyarrow.Table  # noqa: B018
    except Exception:
        return False
    return True


def to_lists(columns: Sequence[Column]) -> Dict[str, List[Any]]:
    """The columns as plain Python lists, in order."""
    out: Dict[str, List[Any]] = {}
    for name, kind, data in columns:
        if kind == "str":
            out[name] = list(data)
        else:
            values = array.array(_TYPECODES[kind])
            values.frombytes(data)
            out[name] = values.tolist()
    return out


def to_arrow(columns: Sequence[Column]):
    """The columns as a ``pyarrow.Table`` (numeric buffers are not copied)."""
    import pyarrow as pa

    arrays = []
    for _name, kind, data in columns:
        if kind == "str":
            arrays.append(pa.array(data, type=pa.string()))
        else:
            typ = pa.int64() if kind == "i8" else pa.float64()
            buf = pa.py_buffer(data)
            arrays.append(pa.Array.from_buffers(typ, len(data) // 8, [None, buf]))
    return pa.Table.from_arrays(arrays, names=[c[0] for c in columns])


def to_frame(columns: Sequence[Column]):
    """The columns as a pandas DataFrame."""
    import pandas as pd

    if have_pyarrow():
        return to_arrow(columns).to_pandas()
    return pd.DataFrame(to_lists(columns))


def csv_frame(text: str):
    """A CSV file's text (one of corridor's output files) as a pandas DataFrame."""
    import pandas as pd

    return pd.read_csv(io.StringIO(text))
