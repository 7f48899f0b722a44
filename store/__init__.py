"""The store: articles, extraction and lookups in SQLite (nothing outside this package writes SQL)."""

import os

# pypinyin's phrase dictionary holds 47 MB in every process that imports pypinyin (a serving
# process, the index run's main process and each worker), and it only helps words whose
# reading depends on the phrase (重庆 chongqing). Names are read character by character with or
# without it: the pinyin of the 31,889 names of a generated N=10,000 store and of the seeds'
# 46 is the same. Set before any store module imports pypinyin; pypinyin reads it at import
# (an empty value loads the dictionary again).
os.environ.setdefault("PYPINYIN_NO_PHRASES", "1")
