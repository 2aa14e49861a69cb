"""The sample-data generator's parts: one module per platform's export family, mirroring
`connectors/formats/`, plus the simulation they all write from.

- `model`: missions, accounts and the simulated truth (posts with their final counts, daily
  account series, follower totals), deterministic for a seed;
- `text`: multilingual post texts (Vietnamese, the host country's languages, English), one
  language a post in a mix that depends on the mission; `host_texts`: the host languages'
  sentences;
- `csvout`: byte-exact CSV writing (BOMs, quoting styles, line endings of each platform);
- `facebook`, `meta`, `x`, `youtube`, `baseline`: the writers of each export layout.

`data/generate.py` plans which export covers which period and calls the writers.
"""
