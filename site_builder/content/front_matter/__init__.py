"""Front matter: the YAML, TOML or JSON block at the top of a source file, split, parsed and
validated (with the keys of other generators read as ours).

Takes a source file's text; gives a `FrontMatter` record (each value with its line and column)
and FM diagnostics at the file's own lines.

- `read`: parse the block (YAML with the safe loader), walk the key table and its aliases.
- `dialects`: split the `---` YAML, `+++` TOML or `{...}` JSON block; TOML and JSON as nodes.
- `aliases`: the keys of Hugo, Jekyll, Docusaurus, MkDocs and dev.to mapped onto ours.
- `redirects`: `aliases:`, the old URLs of a post; `titles`: a title from the first `# H1`.
- `keys`: the key table (name, field, reader, null, where shown) and the readers;
  `reading`: the record readers report through.
- `yaml_loader`: a strict, safe YAML loader that keeps positions.
- `record`: the validated `FrontMatter`, as the site model and the cache keep it.
- `located`: a value with the line and column where it was written.
- `tags`, `dates`: the two values with a grammar of their own.
"""
