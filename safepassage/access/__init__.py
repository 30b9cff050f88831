"""Who may see and do what: the one access policy, used by views, the API, exports and jobs."""
