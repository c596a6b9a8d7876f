// Package read holds the read models: what lists and pages show (a deal
// with its account's and owner's names, a meeting with the facts of its
// sync) and the filters that ask for them. The store fills them, the
// service hands them on, the pages render them; they depend on the domain
// only, so no page and no handler needs the store.
package read
