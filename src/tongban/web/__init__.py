"""Web shell: base templates, navigation, generic list/detail/edit views, static assets."""
