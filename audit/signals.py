"""Signal receivers of the audit trail."""
