"""Pipeline: the phases of one build, from discovery to the swap.

Takes a site root and `BuildOptions`; gives a `BuildResult` (published or not, diagnostics).

- `phases`: `build()` (load, then publish) and `load()` (in memory, for `check`).
- `fingerprints`: what an unchanged rebuild compares, by stat facts alone.
- `analysis`: phase 1 up to the site model: read, process, assemble and check.
- `processing`: one source file to everything the build knows of it, in worker processes.
- `process_ahead`: the sources edited since the last build, processed in a fork early.
- `hadolint_pass`: the optional hadolint pass over every Dockerfile block.
- `produce`: the output files of a plan into a staging tree, reusing what is unchanged.
"""
