"""One module per publisher: reading, parsing and checking its raw files."""
