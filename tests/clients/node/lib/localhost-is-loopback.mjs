// Preload (node --import): resolve every *.localhost name to loopback, as browsers do (RFC 6761 §6.3), so
// virtual-hosted S3 requests (https://<bucket>.hutch.localhost:<port>) reach a local hutch without editing
// /etc/hosts. glibc resolves only "localhost" itself. The clients under test are untouched.
import dns from "node:dns";

const lookup = dns.lookup;
dns.lookup = function (hostname, options, callback) {
  const name = typeof hostname === "string" && hostname.endsWith(".localhost") ? "localhost" : hostname;
  return lookup.call(this, name, options, callback);
};
