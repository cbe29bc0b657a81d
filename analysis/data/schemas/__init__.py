"""pandera schemas of every table in data/, by domain: common (the registry), coding, did, sem."""
