"""hutch.policy"""
