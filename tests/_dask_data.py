"""Dask collections of in-memory test data, shared by the Dask test modules (which skip
themselves where Dask is not installed)."""


def split(X, y, parts):
    """X and y as Dask arrays of ``parts`` row chunks (y chunked like X)."""
    import dask.array as da

    Xd = da.from_array(X, chunks=(-(-len(X) // parts), -1))
    return Xd, da.from_array(y, chunks=Xd.chunks[0])


def frames(X, y, parts, name="t"):
    """X and y as a Dask DataFrame (columns f0, f1, ...) and Series of ``parts``
    partitions."""
    import dask.dataframe as dd
    import pandas as pd

    df = pd.DataFrame(X, columns=[f"f{i}" for i in range(X.shape[1])])
    return (dd.from_pandas(df, npartitions=parts),
            dd.from_pandas(pd.Series(y, name=name), npartitions=parts))
