// SPDX-License-Identifier: GPL-2.0 OR MIT

//! `I2c::from_instance`: the instance's errata reach the configuration, and a refused
//! configuration writes no register.

use core::ptr::NonNull;

use sifive_i2c::{BusSpeed, Config, ConfigError, I2c};
use sifive_i2c_hal::soc::Instance;
use sifive_i2c_hal::{Mmio, MmioConfig};

/// An instance over plain memory standing in for the register block, with or without
/// the FU540-C000 erratum.
struct Fake<const ERRATUM: bool>(*mut [u32; 8]);

impl<const ERRATUM: bool> Instance for Fake<ERRATUM> {
    const BASE: usize = 0;
    const PLIC_SOURCE: u16 = 0;
    const FU540_C000_ERRATUM: bool = ERRATUM;

    fn into_mmio(self) -> Mmio {
        let base = NonNull::new(self.0.cast::<u8>()).expect("a leaked box");
        // SAFETY: The leaked 32-byte buffer is 4-byte aligned and lives for the rest of
        // the test; the test reads it only while the accessor makes no access.
        unsafe { Mmio::new(base, MmioConfig::SIFIVE) }
    }
}

fn memory() -> *mut [u32; 8] {
    Box::into_raw(Box::new([0xa5a5_a5a5; 8]))
}

#[test]
fn the_fu540_profile_sets_the_erratum() {
    let config = Config::new(66_666_666, BusSpeed::Fast);
    let i2c = I2c::from_instance(Fake::<true>(memory()), config).unwrap();
    assert!(i2c.config().fu540_c000_erratum());
    // Even when the caller asked for the opposite.
    let i2c = I2c::from_instance(
        Fake::<false>(memory()),
        config.with_fu540_c000_erratum(true),
    )
    .unwrap();
    assert!(!i2c.config().fu540_c000_erratum());
    // The prescaler for 400 kHz from 66.67 MHz is in PRERlo (index 0), EN in CTR.
    let words = memory();
    let i2c = I2c::from_instance(Fake::<false>(words), config).unwrap();
    assert_eq!(i2c.timing().prescaler, 33);
    // SAFETY: `words` points to the leaked buffer, alive for the rest of the test; no
    // access through `i2c` runs while it is read.
    let regs = unsafe { *words };
    assert_eq!((regs[0] & 0xff, regs[2] & 0xff), (33, 0x80));
}

#[test]
fn a_refused_configuration_writes_nothing() {
    let mem = memory();
    let words: *const [u32; 8] = mem;
    let r = I2c::from_instance(
        Fake::<true>(mem),
        Config::new(4_000_000, BusSpeed::FastPlus),
    );
    assert_eq!(
        r.err(),
        Some(ConfigError::ClockTooSlow {
            max_bus_hz: 800_000
        })
    );
    // SAFETY: `words` points to the leaked buffer; the accessor made from it was dropped.
    let regs = unsafe { *words };
    assert_eq!(regs, [0xa5a5_a5a5; 8]);
}
