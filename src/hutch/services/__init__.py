"""hutch.services"""
