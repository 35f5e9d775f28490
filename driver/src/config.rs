// SPDX-License-Identifier: GPL-2.0 OR MIT

//! Controller configuration: input clock, bus speed, wait budgets and errata.
//!
//! The SCL frequency is `clk / (5 * (PRER + 1))`. The prescaler is rounded so the bus is
//! never faster than requested, and a setting more than 10% slower than requested is
//! refused, as Linux's i2c-ocores refuses it.
//!
//! # Examples
//!
//! ```
//! use sifive_i2c::{BusSpeed, Config, ConfigError};
//!
//! // The FU540's tlclk is 500 MHz on the HiFive Unleashed.
//! let config = Config::new(500_000_000, BusSpeed::Fast);
//! let timing = config.timing()?;
//! assert_eq!(timing.prescaler, 249);
//! assert_eq!(timing.bus_hz, 400_000);
//!
//! // 1 MHz cannot be reached from a 4 MHz clock (at most 800 kHz).
//! assert_eq!(
//!     Config::new(4_000_000, BusSpeed::FastPlus).timing(),
//!     Err(ConfigError::ClockTooSlow { max_bus_hz: 800_000 })
//! );
//! # Ok::<(), ConfigError>(())
//! ```

use core::fmt;

/// The bus speed to configure.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum BusSpeed {
    /// Standard mode, 100 kHz.
    Standard,
    /// Fast mode, 400 kHz.
    Fast,
    /// Fast mode plus, 1 MHz.
    FastPlus,
    /// Any other SCL frequency, in Hz.
    Custom(u32),
}

impl BusSpeed {
    /// The SCL frequency in Hz.
    pub const fn hz(self) -> u32 {
        match self {
            Self::Standard => 100_000,
            Self::Fast => 400_000,
            Self::FastPlus => 1_000_000,
            Self::Custom(hz) => hz,
        }
    }
}

/// Why a configuration cannot be used. Returned by [`Config::timing`] and
/// [`crate::I2c::new`]; nothing is written to the hardware in that case.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[non_exhaustive]
pub enum ConfigError {
    /// The input clock or the bus speed is zero.
    Zero,
    /// The input clock is too slow: even with PRER = 0 the bus would run more than 10%
    /// below the requested speed. `max_bus_hz` is the fastest bus this clock gives.
    ClockTooSlow {
        /// The fastest SCL frequency this input clock can produce.
        max_bus_hz: u32,
    },
    /// The requested speed needs a prescaler above 0xFFFF: the input clock is too fast for
    /// so slow a bus. `prescaler` is the value that would be needed.
    PrescalerOutOfRange {
        /// The prescaler the request needs.
        prescaler: u64,
    },
    /// The closest speed not above the request is more than 10% below it.
    OutOfTolerance {
        /// The SCL frequency the best prescaler gives.
        bus_hz: u32,
    },
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Zero => f.write_str("input clock and bus speed must be non-zero"),
            Self::ClockTooSlow { max_bus_hz } => {
                write!(f, "input clock too slow: at most {max_bus_hz} Hz SCL")
            }
            Self::PrescalerOutOfRange { prescaler } => {
                write!(f, "prescaler {prescaler} out of range (max 65535)")
            }
            Self::OutOfTolerance { bus_hz } => {
                write!(
                    f,
                    "closest SCL {bus_hz} Hz is more than 10% below the request"
                )
            }
        }
    }
}

impl core::error::Error for ConfigError {}

/// Prescaler and resulting bus speed of a configuration.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct Timing {
    /// The value for PRERhi:PRERlo.
    pub prescaler: u16,
    /// The SCL frequency it gives, in Hz (never above the request).
    pub bus_hz: u32,
}

/// How to set up one controller instance.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct Config {
    input_clock_hz: u32,
    speed: BusSpeed,
    timeout_polls: u32,
    timeout_us: u32,
    fu540_erratum: bool,
}

impl Config {
    /// Status polls one wait may take before it times out, by default.
    pub const DEFAULT_TIMEOUT_POLLS: u32 = 100_000;
    /// Microseconds a timed wait (with a delay provider, or async) may take, by default.
    pub const DEFAULT_TIMEOUT_US: u32 = 10_000;

    /// A configuration for an input clock of `input_clock_hz` and a bus `speed`, with the
    /// default wait budgets and no errata.
    pub const fn new(input_clock_hz: u32, speed: BusSpeed) -> Self {
        Self {
            input_clock_hz,
            speed,
            timeout_polls: Self::DEFAULT_TIMEOUT_POLLS,
            timeout_us: Self::DEFAULT_TIMEOUT_US,
            fu540_erratum: false,
        }
    }

    /// Sets how many status polls one wait on the hardware may take (at least 1), for a
    /// driver without a delay provider and for the interrupt handler. Read it back with
    /// [`Config::poll_budget`].
    pub const fn with_poll_budget(mut self, polls: u32) -> Self {
        self.timeout_polls = if polls == 0 { 1 } else { polls };
        self
    }

    /// Sets how long one wait may take, in microseconds: for a blocking driver with a delay
    /// provider ([`crate::I2c::with_delay`]) and for [`crate::AsyncI2c`]. Read it back with
    /// [`Config::wait_budget_us`].
    pub const fn with_wait_budget_us(mut self, us: u32) -> Self {
        self.timeout_us = us;
        self
    }

    /// Marks this instance as an FU540-C000 controller, whose interrupt flag cannot be
    /// cleared: the driver then polls TIP and BUSY only and never enables its interrupt.
    /// Read it back with [`Config::fu540_c000_erratum`].
    ///
    /// This is per instance: other controllers in the same system keep interrupts. The
    /// FU540 profile (`sifive_i2c_hal::soc::fu540`) sets it for the user.
    pub const fn with_fu540_c000_erratum(mut self, erratum: bool) -> Self {
        self.fu540_erratum = erratum;
        self
    }

    /// Sets the input clock, in Hz.
    pub const fn with_input_clock_hz(mut self, hz: u32) -> Self {
        self.input_clock_hz = hz;
        self
    }

    /// Sets the bus speed.
    pub const fn with_speed(mut self, speed: BusSpeed) -> Self {
        self.speed = speed;
        self
    }

    /// The input clock, in Hz.
    pub const fn input_clock_hz(&self) -> u32 {
        self.input_clock_hz
    }

    /// The requested bus speed.
    pub const fn speed(&self) -> BusSpeed {
        self.speed
    }

    /// The status-poll budget of one wait (set with [`Config::with_poll_budget`]).
    pub const fn poll_budget(&self) -> u32 {
        self.timeout_polls
    }

    /// The time budget of one timed wait, in microseconds (set with
    /// [`Config::with_wait_budget_us`]).
    pub const fn wait_budget_us(&self) -> u32 {
        self.timeout_us
    }

    /// Whether the FU540-C000 interrupt erratum applies (set with
    /// [`Config::with_fu540_c000_erratum`]).
    pub const fn fu540_c000_erratum(&self) -> bool {
        self.fu540_erratum
    }

    /// The old name of [`Config::with_poll_budget`].
    #[deprecated(since = "0.1.0", note = "renamed to `with_poll_budget`")]
    pub const fn timeout_polls(self, polls: u32) -> Self {
        self.with_poll_budget(polls)
    }

    /// The old name of [`Config::with_wait_budget_us`].
    #[deprecated(since = "0.1.0", note = "renamed to `with_wait_budget_us`")]
    pub const fn timeout_us(self, us: u32) -> Self {
        self.with_wait_budget_us(us)
    }

    /// The old name of [`Config::with_fu540_c000_erratum`].
    #[deprecated(since = "0.1.0", note = "renamed to `with_fu540_c000_erratum`")]
    pub const fn fu540_erratum(self, erratum: bool) -> Self {
        self.with_fu540_c000_erratum(erratum)
    }

    /// The old name of [`Config::poll_budget`].
    #[deprecated(since = "0.1.0", note = "renamed to `poll_budget`")]
    pub const fn polls(&self) -> u32 {
        self.poll_budget()
    }

    /// The old name of [`Config::wait_budget_us`].
    #[deprecated(since = "0.1.0", note = "renamed to `wait_budget_us`")]
    pub const fn wait_us(&self) -> u32 {
        self.wait_budget_us()
    }

    /// The old name of [`Config::fu540_c000_erratum`].
    #[deprecated(since = "0.1.0", note = "renamed to `fu540_c000_erratum`")]
    pub const fn has_fu540_erratum(&self) -> bool {
        self.fu540_c000_erratum()
    }

    /// Computes the prescaler: the smallest value whose SCL is not above the request.
    pub const fn timing(&self) -> Result<Timing, ConfigError> {
        let clk = self.input_clock_hz as u64;
        let scl = self.speed.hz() as u64;
        if clk == 0 || scl == 0 {
            return Err(ConfigError::Zero);
        }
        // PRER + 1 = ceil(clk / (5 * scl)) keeps SCL <= scl.
        let divider = clk.div_ceil(5 * scl);
        let prescaler = divider - 1;
        if prescaler > 0xffff {
            return Err(ConfigError::PrescalerOutOfRange { prescaler });
        }
        let bus_hz = (clk / (5 * divider)) as u32;
        // Within 10%: bus_hz >= 0.9 * scl.
        if (bus_hz as u64) * 10 < scl * 9 {
            if prescaler == 0 {
                return Err(ConfigError::ClockTooSlow { max_bus_hz: bus_hz });
            }
            return Err(ConfigError::OutOfTolerance { bus_hz });
        }
        Ok(Timing {
            prescaler: prescaler as u16,
            bus_hz,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The deprecated names set and read the same fields as the new ones.
    #[test]
    #[expect(deprecated)]
    fn old_names_still_work() {
        let old = Config::new(1, BusSpeed::Fast)
            .timeout_polls(7)
            .timeout_us(9)
            .fu540_erratum(true);
        let new = Config::new(1, BusSpeed::Fast)
            .with_poll_budget(7)
            .with_wait_budget_us(9)
            .with_fu540_c000_erratum(true);
        assert_eq!(old, new);
        assert_eq!(
            (old.polls(), old.wait_us(), old.has_fu540_erratum()),
            (7, 9, true)
        );
        assert_eq!(
            Config::new(1, BusSpeed::Fast)
                .timeout_polls(0)
                .poll_budget(),
            1
        );
    }
}
