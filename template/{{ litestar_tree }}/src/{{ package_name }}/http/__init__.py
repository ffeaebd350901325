"""HTTP plumbing every route shares: strict JSON bodies, error answers, the request gate."""
