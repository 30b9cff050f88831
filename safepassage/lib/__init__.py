"""Pure helpers with no Django imports."""
