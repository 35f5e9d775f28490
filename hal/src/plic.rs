// SPDX-License-Identifier: GPL-2.0 OR MIT

//! The PLIC glue of the SoC profiles (feature `plic`): an instance's interrupt source as a
//! [`PlicLine`], the trap handler's [`claim`], and the machine interrupt enables, on the
//! PLIC of the rust-embedded `riscv-peripheral` crate, with no `unsafe` in the caller.
//!
//! The FU540-C000, FU740-C000 and FE310-G002 have their PLIC at 0x0C00_0000, and context 0
//! is hart 0's M-mode on all three, so the glue serves a program that runs in M-mode on
//! hart 0 (the E51 of the FU540, the S7 of the FU740, the E31 of the FE310). Each SoC's
//! `Peripherals` hands out the one [`Plic`]; a line is made from it for a controller
//! instance, which names its own source ([`Instance::PLIC_SOURCE`]).
//!
//! The one-shot interrupt protocol of the driver (`sifive_i2c::AsyncI2c::with_irq_line`)
//! keeps the source claimed, and so masked in the PLIC, from the interrupt until the task
//! has acknowledged it: the trap handler [`Claim::hold`]s the claim of the controller's
//! source when the controller's handler says the interrupt was its own, and the task
//! completes it through the line (`sifive_i2c::IrqLine` is implemented for [`PlicLine`]
//! by the driver crate's `plic` feature). Any other claim is completed when it is
//! dropped.
//!
//! Reference: the SiFive Interrupt Cookbook and the PLIC chapter of the FU540-C000,
//! FU740-C000 and FE310-G002 manuals (priorities at +0x0, enables of context 0 at
//! +0x2000, its threshold at +0x20_0000 and claim/complete at +0x20_0004).
//!
//! # Soundness
//!
//! Enabling a source, or the machine interrupts, must not break a critical section. The
//! glue assumes the critical sections of the riscv crate's `critical-section-single-hart`
//! implementation, which clear mstatus.MIE: unmasking a source in the PLIC or setting
//! mie.MEIE inside such a section lets no interrupt in. [`Plic::enable_interrupts`] sets
//! mstatus.MIE, so it is for `main`'s start-up, outside any critical section, as the
//! method's documentation says.
//!
//! # Examples
//!
//! The trap handler of a program that shares the controller with its handler through the
//! driver's `IrqSlot` and `IrqSignal` (see the driver crate's `plic` feature) dispatches
//! the claim like this:
//!
//! ```no_run
//! # #[cfg(target_arch = "riscv64")]
//! # mod program {
//! use sifive_i2c_hal::plic;
//! use sifive_i2c_hal::soc::fu540;
//!
//! /// The controller's handler: whether the interrupt was its own.
//! fn i2c0_interrupt() -> bool {
//!     // For example `I2C0_REGS.with(|r| I2C0_IRQ.on_interrupt_oneshot(r)) == Some(true)`.
//!     true
//! }
//!
//! /// The machine external interrupt (with riscv-rt:
//! /// `#[riscv_rt::core_interrupt(riscv::interrupt::Interrupt::MachineExternal)]`).
//! fn machine_external() {
//!     // A held source is not presented again: the loop ends.
//!     while let Some(claim) = plic::claim() {
//!         if claim.is::<fu540::I2c0>() && i2c0_interrupt() {
//!             // Completed by the task (`PlicLine::complete`, the line's `rearm`).
//!             claim.hold();
//!         }
//!         // Other claims are completed here, as they drop.
//!     }
//! }
//!
//! fn start() -> Option<plic::PlicLine> {
//!     let p = fu540::Peripherals::take()?;
//!     let mut plic = p.plic;
//!     let mut line = plic.line::<fu540::I2c0>();
//!     line.enable();
//!     plic.enable_interrupts();
//!     Some(line)
//! }
//! # }
//! ```

use riscv::{ExternalInterruptNumber, InterruptNumber, PriorityNumber};
use riscv_peripheral::plic::PLIC;

use crate::soc::Instance;

/// The PLIC of the three SoCs, for riscv-peripheral.
#[derive(Clone, Copy, Debug)]
struct SocPlic;

// SAFETY: The FU540-C000, FU740-C000 and FE310-G002 have their PLIC at 0x0C00_0000 (the
// memory maps of their manuals), and a `Plic` exists only on those SoCs (through their
// `Peripherals`).
unsafe impl riscv_peripheral::plic::Plic for SocPlic {
    const BASE: usize = 0x0C00_0000;
}

/// The PLIC as riscv-peripheral drives it.
type Raw = PLIC<SocPlic>;

/// A PLIC interrupt source number.
///
/// # Invariants
///
/// The number is between 1 and [`Source::MAX`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Source(u16);

impl Source {
    /// The largest source number a PLIC has.
    const MAX: u16 = 1023;
}

// SAFETY: By the type invariant, every value is a source number of 1 to `MAX` (the PLIC's
// numbering, in which 0 means "no interrupt"), and `number` returns it unchanged.
unsafe impl InterruptNumber for Source {
    const MAX_INTERRUPT_NUMBER: usize = Source::MAX as usize;

    fn number(self) -> usize {
        usize::from(self.0)
    }

    fn from_number(value: usize) -> riscv::result::Result<Self> {
        match u16::try_from(value) {
            // INVARIANT: Checked to be in 1..=MAX.
            Ok(n) if (1..=Self::MAX).contains(&n) => Ok(Self(n)),
            _ => Err(riscv::result::Error::InvalidVariant(value)),
        }
    }
}

// SAFETY: The numbers are PLIC (external interrupt) sources.
unsafe impl ExternalInterruptNumber for Source {}

/// A PLIC priority: 0 masks a source; the SoCs' PLIC has levels 0 to 7.
///
/// # Invariants
///
/// The level is at most 7.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Level(u8);

// SAFETY: By the type invariant, every value is a level of 0 to 7, the SoCs' range, and
// `number` returns it unchanged.
unsafe impl PriorityNumber for Level {
    const MAX_PRIORITY_NUMBER: usize = 7;

    fn number(self) -> usize {
        usize::from(self.0)
    }

    fn from_number(value: usize) -> riscv::result::Result<Self> {
        match u8::try_from(value) {
            // INVARIANT: Checked to be at most 7.
            Ok(n) if n <= 7 => Ok(Self(n)),
            _ => Err(riscv::result::Error::InvalidVariant(value)),
        }
    }
}

/// The SoC's PLIC, seen from hart 0's M-mode context, owned: handed out once by the SoC's
/// `Peripherals`.
#[derive(Debug)]
pub struct Plic {
    _private: (),
}

impl Plic {
    /// The PLIC.
    ///
    /// # Safety
    ///
    /// The code runs on one of the SoCs (whose PLIC is at 0x0C00_0000), and nothing else
    /// owns a `Plic`.
    pub(crate) const unsafe fn new() -> Self {
        Self { _private: () }
    }

    /// The line of instance `I`'s interrupt source, at priority 1 once enabled.
    ///
    /// Make one line per source: two lines of the same source enable and complete the
    /// same source. An instance whose source is outside the PLIC's range (1 to 1023) is
    /// refused at compile time.
    pub fn line<I: Instance>(&mut self) -> PlicLine {
        const {
            assert!(
                I::PLIC_SOURCE >= 1 && I::PLIC_SOURCE <= Source::MAX,
                "PLIC sources are 1 to 1023"
            );
        }
        PlicLine {
            // INVARIANT: Checked at compile time above.
            source: Source(I::PLIC_SOURCE),
            level: Level(1),
        }
    }

    /// Lets the enabled sources interrupt hart 0 in M-mode: context 0's threshold to 0,
    /// then mie.MEIE and mstatus.MIE set. The trap handler (riscv-rt's
    /// `MachineExternal` core interrupt) must be in place.
    ///
    /// Call it from `main`'s start-up, outside any critical section (which it would end
    /// early: see the module's "Soundness").
    pub fn enable_interrupts(&mut self) {
        let plic = Raw::new();
        // SAFETY: Threshold 0 unmasks the enabled sources of priority 1 and above; with
        // the riscv crate's single-hart critical sections (mstatus.MIE) no interrupt gets
        // into a critical section through it. `self` makes this the PLIC's one owner.
        unsafe { plic.ctx0().threshold().set_threshold(Level(0)) };
        // SAFETY: Setting mie.MEIE lets the external interrupt through once mstatus.MIE
        // is set; the critical sections clear mstatus.MIE, not mie.
        unsafe { plic.enable() };
        // SAFETY: The caller is outside any critical section (the documented rule of this
        // method), so no critical section is ended early; riscv-rt installed the trap
        // entry before `main`.
        unsafe { riscv::interrupt::enable() };
    }

    /// Masks the machine interrupts (mstatus.MIE cleared) until
    /// [`Plic::enable_interrupts`] is called again.
    pub fn disable_interrupts(&mut self) {
        riscv::interrupt::disable();
    }
}

/// One controller instance's interrupt source on the PLIC's context 0, made by
/// [`Plic::line`]: the task's side of the one-shot protocol.
#[derive(Debug)]
pub struct PlicLine {
    source: Source,
    level: Level,
}

impl PlicLine {
    /// The source number.
    pub fn source(&self) -> u16 {
        self.source.0
    }

    /// Unmasks the source: its priority set, then its enable bit in context 0 (the enable
    /// word's read-modify-write in a critical section, so that a handler changing another
    /// source's bit is not undone).
    pub fn enable(&mut self) {
        let plic = Raw::new();
        critical_section::with(|_| {
            // SAFETY: Unmasking a source lets its interrupt in only once mstatus.MIE is
            // set; the riscv crate's single-hart critical sections clear mstatus.MIE, so
            // none is broken (see the module's "Soundness").
            unsafe {
                plic.priorities().set_priority(self.source, self.level);
                plic.ctx0().enables().enable(self.source);
            }
        });
    }

    /// Masks the source: its enable bit cleared in context 0.
    pub fn disable(&mut self) {
        let plic = Raw::new();
        critical_section::with(|_| plic.ctx0().enables().disable(self.source));
    }

    /// Whether the source is pending in the PLIC.
    pub fn is_pending(&self) -> bool {
        Raw::new().pendings().is_pending(self.source)
    }

    /// Completes the source's claim, which a trap handler [`Claim::hold`] left open, so
    /// that the PLIC presents it again. Completing a source that is not claimed does
    /// nothing.
    pub fn complete(&mut self) {
        Raw::new().ctx0().claim().complete(self.source);
    }
}

/// A source the trap handler claimed from the PLIC's context 0 ([`claim`]): completed when
/// dropped, unless [`Claim::hold`] leaves it to the line's owner.
#[derive(Debug)]
#[must_use = "a claim is completed when dropped"]
pub struct Claim {
    source: Source,
}

impl Claim {
    /// The source number.
    pub fn source(&self) -> u16 {
        self.source.0
    }

    /// Whether the source is instance `I`'s.
    pub fn is<I: Instance>(&self) -> bool {
        self.source.0 == I::PLIC_SOURCE
    }

    /// Leaves the source claimed, so that the PLIC does not present it again until the
    /// owner of its line calls [`PlicLine::complete`].
    pub fn hold(self) {
        core::mem::forget(self);
    }
}

impl Drop for Claim {
    fn drop(&mut self) {
        Raw::new().ctx0().claim().complete(self.source);
    }
}

/// Claims the highest-priority pending source of hart 0's M-mode context, for the trap
/// handler of the machine external interrupt; `None` if none is pending.
#[cfg(any(target_arch = "riscv32", target_arch = "riscv64", doc))]
pub fn claim() -> Option<Claim> {
    Raw::new()
        .ctx0()
        .claim()
        .claim()
        .map(|source| Claim { source })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn source_numbers_are_the_plics() {
        assert_eq!(Source::from_number(50).map(Source::number), Ok(50));
        assert_eq!(Source::from_number(1023).map(Source::number), Ok(1023));
        assert!(Source::from_number(0).is_err());
        assert!(Source::from_number(1024).is_err());
        assert!(Level::from_number(8).is_err());
        assert_eq!(Level::from_number(7).map(Level::number), Ok(7));
    }

    #[test]
    fn a_line_is_its_instances_source() {
        use crate::soc::{fe310, fu540, fu740};

        // SAFETY: The PLIC is not accessed: only the lines' numbers are read.
        let mut plic = unsafe { Plic::new() };
        assert_eq!(plic.line::<fu540::I2c0>().source(), 50);
        assert_eq!(plic.line::<fu740::I2c0>().source(), 52);
        assert_eq!(plic.line::<fu740::I2c1>().source(), 53);
        assert_eq!(plic.line::<fe310::I2c0>().source(), 52);
    }
}
