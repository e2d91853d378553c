"""hutch.services.s3"""
