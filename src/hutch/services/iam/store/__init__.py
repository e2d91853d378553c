"""The only code that reads or writes IAM's tables: plain functions over an open connection.

Callers (hutch.services.iam.service) own the transactions, so a check and the write it guards happen in
one transaction.
"""
