"""hutch.blobs"""
