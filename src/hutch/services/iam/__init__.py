"""hutch.services.iam"""
