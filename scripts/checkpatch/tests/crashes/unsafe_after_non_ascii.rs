€€€ unsafe { f() } // SAFETY: x
