"""The screening app's forms, by what they are for (specs, cases, uploads, rule sets)."""
