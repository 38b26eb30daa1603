"""One module per analysis chapter: the data, numbers and figures its notebook shows."""
