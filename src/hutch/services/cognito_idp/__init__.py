"""hutch.services.cognito_idp"""
