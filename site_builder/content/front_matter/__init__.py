"""Front matter: the YAML block at the top of a source file, split, parsed and validated.

Takes a source file's text; gives a `FrontMatter` record (each value with its line and column)
and FM diagnostics at the file's own lines.

- `read`: split the block from the body, parse it with the safe loader, walk the key table.
- `keys`: the key table (name, field, reader, null, where shown) and the readers.
- `yaml_loader`: a strict, safe YAML loader that keeps positions.
- `record`: the validated `FrontMatter`, as the site model and the cache keep it.
- `located`: a value with the line and column where it was written.
- `tags`, `dates`: the two values with a grammar of their own.
"""
