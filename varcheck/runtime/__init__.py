"""The only layer that imports torch: modules that run constructed operators and weights."""
