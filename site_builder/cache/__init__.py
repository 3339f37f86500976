"""Cache: what earlier builds learned (`.site-cache/`), so the next build redoes only what changed.

Takes the records of a build; gives them back to the next one, verified (a tampered or stale
cache is ignored with a warning, never trusted).

- `store`: the `BuildCache` (state, document index and journal, body packs).
- `state`: what the cache's files hold.
- `processed`: the record of one processed source file, as workers return it.
- `packs`: rendered bodies appended to packs.
- `lock`: one build of a site at a time.
- `safe_pickle`: an unpickler that builds only our own records.
- `guard`: what of the folder may be trusted (no symlink followed; CACHE002).
"""
