// Package assets embeds presale's stylesheet, scripts and images, so the
// binary serves them with no CDN.
package assets

import "embed"

// FS holds css/, js/ and img/.
//
//go:embed css js img
var FS embed.FS

// HTMX is the vendored htmx file, pinned by its name.
const HTMX = "/assets/js/htmx-2.0.11.min.js"

// Sortable is the vendored SortableJS that drags cards on the pipeline
// board, pinned by its name.
const Sortable = "/assets/js/sortable-1.15.7.min.js"
