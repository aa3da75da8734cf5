// SPDX-License-Identifier: AGPL-3.0-or-later
import QuireCore

/// `url` (with `httpusername`/`httppassword`) is all it reads: the shared parameters.
extension FileHashConversion: RequestConvertible {}
