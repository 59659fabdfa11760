package com.systemtrader.vendor;

import com.systemtrader.schema.DataSource;
import java.util.Comparator;
import java.util.List;
import java.util.ServiceLoader;

/** The {@link VendorModule}s on the class path, loaded once (the class path does not change). */
final class Installed {
    static final List<VendorModule> MODULES = ServiceLoader.load(VendorModule.class, VendorModule.class.getClassLoader())
            .stream().map(ServiceLoader.Provider::get).sorted(Comparator.comparing(VendorModule::provider)).toList();

    /** Per {@code DataSource} ordinal: the adapter's condition codes, else numeric ids. */
    static final ConditionCodes[] CONDITIONS = conditions();

    private Installed() {}

    private static ConditionCodes[] conditions() {
        ConditionCodes[] byOrdinal = new ConditionCodes[DataSource.values().length];
        java.util.Arrays.fill(byOrdinal, ConditionCodes.NUMERIC_IDS);
        for (VendorModule m : MODULES) byOrdinal[m.source().ordinal()] = m.conditionCodes();
        return byOrdinal;
    }
}
