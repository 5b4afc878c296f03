// Package ent holds the ent schemas (ent/schema) and the code generated from them.
package ent
