"""hutch.auth"""
