"""The wire codec: HTTP values, routing to a service, and model-driven parse/serialize per protocol."""
