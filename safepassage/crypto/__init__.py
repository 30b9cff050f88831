"""Field-level encryption: the encrypted model field, the keyring it reads, `safepassage keys`."""
