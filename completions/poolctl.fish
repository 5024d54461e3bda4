complete --keep-order --exclusive --command poolctl --arguments "(COMPLETE=fish poolctl -- (commandline --current-process --tokenize --cut-at-cursor) (commandline --current-token))"
