package io.plugboard.connector;

public enum Category {
    CRM("CRM"), TMS("Transaction management"), LOS("Loan origination"), PAYROLL("Payroll"), VENUE("Venue booking"),
    ACCOUNTING("Accounting"), COMMUNICATION("Communication"), ESIGNATURE("E-signature"), PAYMENTS("Payments"),
    SUPPORT("Customer support"), MARKETING("Marketing"), PRODUCTIVITY("Productivity"), DEVELOPER("Developer tools"),
    STORAGE("Files & storage"), HR("HR"), OTHER("Other");

    private final String label;

    Category(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }
}
