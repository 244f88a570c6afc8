"""A document type that exists only in the test suite (installed when SALESOPS_TESTING=1), so the
kernel's tests stand on their own, and the smallest example of declaring a type with the kit."""
