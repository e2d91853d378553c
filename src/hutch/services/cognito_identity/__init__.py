"""hutch.services.cognito_identity"""
