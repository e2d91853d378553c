"""hutch.store"""
