"""One user's studio behind the pages: the dataset, split and rules with undo (:mod:`.studio`),
results memoised per split (:mod:`.cache`), and the workspace folder that keeps the work."""
