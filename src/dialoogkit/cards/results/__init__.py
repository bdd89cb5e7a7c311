"""After the session: the results file of a session (what the tables decided), its model, loading,
privacy check and the commented template that ``dialoogkit results new`` writes."""
