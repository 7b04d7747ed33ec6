"""The screening app's pages, by what they show (products, cases, uploads, rule sets); the
dashboard's are in screening.dashboard."""
