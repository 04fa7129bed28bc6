"""The audit lead's pages for requests and returns."""
