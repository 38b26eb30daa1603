"""Measures that several chapters (and the FAQ, the home page, the Methods page) share.

Each module holds one family of computations, named for what it holds, so that a chapter
never imports another chapter: two pages that print the same figure compute it here, once."""
