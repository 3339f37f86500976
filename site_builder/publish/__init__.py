"""Publish: the rendered files onto disk, atomically, and the search index over them.

Takes files to write; gives a new `output/` swapped in whole, or the old one untouched.

- `swap`: the output folder's safety checks, the atomic swap, recovery after a crash.
- `staging`: the staging tree of one publish, and the spare that makes the next one cheap.
- `search_index`: the optional Pagefind index, built over the staging tree before the swap.
"""
