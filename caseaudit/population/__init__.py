"""The population of children on plans that audits sample from: import, figures and sampling."""
