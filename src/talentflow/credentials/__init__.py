"""The talent code (人才码) and the signed trust and revocation lists (issue 7)."""
