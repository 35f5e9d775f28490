// SPDX-License-Identifier: GPL-2.0 OR MIT

//! The honggfuzz entry point: every input is one run of [`sifive_i2c_fuzz::run`].

use honggfuzz::fuzz;

fn main() {
    loop {
        fuzz!(|data: &[u8]| {
            sifive_i2c_fuzz::run(data);
        });
    }
}
