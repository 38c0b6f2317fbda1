// Placeholder translation unit for an area with no sources yet (see tf_area in CMakeLists.txt).
